"""CKAN's action API, included by ``simpul/urls.py`` at ``api/3/action/``."""

from django.urls import path

from datahub import ckan

app_name = "ckan"

urlpatterns = [path("<str:name>", ckan.action, name="action")]
