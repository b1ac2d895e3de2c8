"""Open data a city portal publishes: Data Package, Table Schemas, data dictionary, DCAT catalogue."""
