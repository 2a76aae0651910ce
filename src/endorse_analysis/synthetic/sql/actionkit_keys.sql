-- The secondary keys of the ActionKit tables (as ActionKit has them), added after a bulk
-- load: building a key from sorted rows is many times faster than row by row.
ALTER TABLE core_user ADD UNIQUE KEY email (email), ADD KEY core_user_created_at (created_at),
  ADD KEY core_user_subscription_status (subscription_status), ADD KEY core_user_state (state);
ALTER TABLE core_location ADD KEY core_location_us_district (us_district);
ALTER TABLE core_usergeofield ADD KEY core_usergeofield_user_id (user_id),
  ADD KEY core_usergeofield_name (name);
ALTER TABLE core_subscriptionhistory ADD KEY core_subscriptionhistory_created_at (created_at),
  ADD KEY core_subscriptionhistory_user_id (user_id),
  ADD KEY core_subscriptionhistory_change_id (change_id);
ALTER TABLE core_action ADD KEY core_action_created_at (created_at),
  ADD KEY core_action_user_id (user_id), ADD KEY core_action_page_id (page_id);
ALTER TABLE core_actionfield ADD KEY name_value (name, value(255)),
  ADD KEY parent_name_value (parent_id, name, value(255)),
  ADD KEY core_actionfield_parent_id (parent_id);
