-- The congressional district ActionKit geocoded for each user, as 'MO_02'.
SELECT user_id, us_district FROM core_location
