"""URLs of the plan import flow (upload → review → confirm)."""

urlpatterns: list = []
