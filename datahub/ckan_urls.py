"""CKAN's API paths, included by ``simpul/urls.py`` at ``api/``: the action API at
both ``/api/action/`` (where ``ckanapi`` calls it) and ``/api/3/action/``."""

from django.urls import path

from datahub import ckan

app_name = "ckan"

urlpatterns = [
    path("3/action/<str:name>", ckan.action, name="action"),
    path("action/<str:name>", ckan.action, name="action_default"),
    path("3", ckan.api_version, {"ver": 3}, name="version"),
    path("util/status", ckan.util_status, name="status"),
    path("", ckan.api_version, name="root"),
]
