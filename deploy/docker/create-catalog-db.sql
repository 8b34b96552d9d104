-- Runs once when the PostgreSQL volume is created: the catalog lives beside Dagster's storage.
CREATE DATABASE catalog;
