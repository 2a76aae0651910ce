-- The subscription change types of this instance (ids differ between instances: the
-- import matches the unsubscribing ones by name).
SELECT id, name FROM core_subscriptionchangetype
