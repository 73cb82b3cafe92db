from plans import urls_import, urls_tracking

app_name = "plans"

urlpatterns = [*urls_import.urlpatterns, *urls_tracking.urlpatterns]
