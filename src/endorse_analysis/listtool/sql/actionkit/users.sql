-- Every user: the member id, state, sign-up time and subscription status.
SELECT id, created_at, updated_at, state, subscription_status FROM core_user
