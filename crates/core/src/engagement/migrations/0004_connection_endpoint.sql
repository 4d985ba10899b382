-- Schema 4: a connection may name the endpoint its AWS calls go to (the sandbox of "Try the demo estate",
-- a VPC or FIPS endpoint). NULL: the standard AWS environment decides, as before.

ALTER TABLE connection ADD COLUMN endpoint_url TEXT;
