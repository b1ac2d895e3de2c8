"""City indicators across agencies (issue 18): assignment, comparison and the district map."""
