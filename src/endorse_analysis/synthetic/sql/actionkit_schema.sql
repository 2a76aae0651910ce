-- The ActionKit tables the import reads, with the columns and keys of ActionKit's
-- Database Reference (core_user, core_location, core_usergeofield, core_subscriptionhistory
-- with its change types, core_page, core_action, core_actionfield). A test double of a reporting database: the
-- columns the import never reads are kept, with empty defaults, so that rows can be
-- loaded by name. Secondary keys are added after a bulk load (actionkit_keys.sql).
CREATE TABLE core_user (
  id int(11) NOT NULL AUTO_INCREMENT,
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  email varchar(255) NOT NULL,
  prefix varchar(255) NOT NULL DEFAULT '',
  first_name varchar(255) NOT NULL DEFAULT '',
  middle_name varchar(255) NOT NULL DEFAULT '',
  last_name varchar(255) NOT NULL DEFAULT '',
  suffix varchar(255) NOT NULL DEFAULT '',
  password varchar(255) NOT NULL DEFAULT '',
  subscription_status varchar(255) NOT NULL,
  address1 varchar(255) NOT NULL DEFAULT '',
  address2 varchar(255) NOT NULL DEFAULT '',
  city varchar(255) NOT NULL DEFAULT '',
  state varchar(255) NOT NULL,
  region varchar(255) NOT NULL DEFAULT '',
  postal varchar(255) NOT NULL DEFAULT '',
  zip varchar(5) NOT NULL DEFAULT '',
  plus4 varchar(4) NOT NULL DEFAULT '',
  country varchar(255) NOT NULL DEFAULT 'United States',
  source varchar(255) NOT NULL DEFAULT '',
  lang_id int(11) DEFAULT NULL,
  rand_id int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
);
CREATE TABLE core_location (
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  user_id int(11) NOT NULL,
  us_district varchar(5) NOT NULL,
  us_state_senate varchar(6) NOT NULL DEFAULT '',
  us_state_district varchar(6) NOT NULL DEFAULT '',
  us_county varchar(255) NOT NULL DEFAULT '',
  loc_code varchar(30) NOT NULL DEFAULT '',
  country_code varchar(2) NOT NULL DEFAULT 'US',
  region_code varchar(20) NOT NULL DEFAULT '',
  longitude double DEFAULT NULL,
  latitude double DEFAULT NULL,
  lat_lon_precision varchar(32) NOT NULL DEFAULT '',
  PRIMARY KEY (user_id)
);
CREATE TABLE core_usergeofield (
  id int(11) NOT NULL AUTO_INCREMENT,
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  user_id int(11) NOT NULL,
  name varchar(255) NOT NULL,
  value varchar(255) NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE core_subscriptionhistory (
  id int(11) NOT NULL AUTO_INCREMENT,
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  user_id int(11) NOT NULL,
  list_id int(11) NOT NULL,
  change_id int(11) NOT NULL,
  action_id int(11) DEFAULT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE core_subscriptionchangetype (
  id int(11) NOT NULL AUTO_INCREMENT,
  name varchar(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY name (name)
);
-- The unsubscribing types as ActionKit names them (its Subscription History Data page and
-- tutorials): 3-6, 8, 10, 12 and later ones; the subscribing names are placeholders.
INSERT INTO core_subscriptionchangetype (id, name) VALUES
  (1, 'subscribe'), (2, 'subscribe_import'), (3, 'unsubscribe_bounce'), (4, 'unsubscribe'),
  (5, 'unsubscribe_admin'), (6, 'unsubscribe_email'), (7, 'subscribe_admin'),
  (8, 'unsubscribe_import'), (9, 'subscribe_merge'), (10, 'unsubscribe_spamcheck'),
  (11, 'subscribe_reengagement'), (12, 'unsubscribe_reengagement'), (13, 'subscribe_api'),
  (14, 'unsubscribe_merge'), (15, 'subscribe_confirmation'),
  (16, 'unsubscribe_migratedoffreengagement'), (17, 'subscribe_migrated');
CREATE TABLE core_page (
  id int(11) NOT NULL AUTO_INCREMENT,
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  hidden tinyint(1) NOT NULL DEFAULT 0,
  title varchar(255) NOT NULL,
  name varchar(255) NOT NULL,
  notes varchar(255) DEFAULT '',
  hosted_with_id int(11) NOT NULL DEFAULT 1,
  url varchar(255) NOT NULL DEFAULT '',
  type varchar(255) NOT NULL DEFAULT 'Survey',
  lang_id int(11) DEFAULT NULL,
  multilingual_campaign_id int(11) DEFAULT NULL,
  goal int(11) DEFAULT NULL,
  goal_type varchar(255) NOT NULL DEFAULT 'actions',
  status varchar(255) NOT NULL DEFAULT 'active',
  list_id int(11) NOT NULL DEFAULT 1,
  allow_multiple_responses tinyint(1) NOT NULL DEFAULT 1,
  recognize varchar(255) NOT NULL DEFAULT 'once',
  never_spam_check tinyint(1) NOT NULL DEFAULT 0,
  real_actions tinyint(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY name (name)
);
CREATE TABLE core_action (
  id int(11) NOT NULL AUTO_INCREMENT,
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  user_id int(11) NOT NULL,
  mailing_id int(11) DEFAULT NULL,
  page_id int(11) NOT NULL,
  link int(11) DEFAULT NULL,
  source varchar(255) NOT NULL DEFAULT '',
  opq_id varchar(255) NOT NULL DEFAULT '',
  created_user tinyint(1) NOT NULL DEFAULT 0,
  subscribed_user tinyint(1) NOT NULL DEFAULT 0,
  referring_user_id int(11) DEFAULT NULL,
  referring_mailing_id int(11) DEFAULT NULL,
  taf_emails_sent int(11) DEFAULT NULL,
  status varchar(255) NOT NULL,
  is_forwarded tinyint(1) NOT NULL DEFAULT 0,
  ip_address varchar(15) DEFAULT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE core_actionfield (
  id int(11) NOT NULL AUTO_INCREMENT,
  parent_id int(11) NOT NULL,
  name varchar(255) NOT NULL,
  value longtext NOT NULL,
  PRIMARY KEY (id)
);
