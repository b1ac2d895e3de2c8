"""Migration of the old "BMA digitalplans" pages: read saved pages, bring them in as published."""
