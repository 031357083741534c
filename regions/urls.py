from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("", views.home, name="home"),
    path("provinsi/<str:kode>/", views.province_home, name="province_home"),
    path("wilayah/pilih/", views.region_pick, name="pick"),
    path("wilayah/cari/", views.region_search, name="search"),
    path("wilayah/<str:kode>/", views.region_detail, name="detail"),
    path("wilayah/<str:kode>/data/", views.region_data, name="data"),
    path("wilayah/<str:kode>/peta.json", views.region_map_data, name="map_data"),
]
