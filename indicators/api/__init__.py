"""The read and write API (/api/v1/), on Django REST framework with drf-spectacular (issue 20)."""
