from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<int:year>/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("agencies/<str:prefix>/<int:year>/", views.agency_detail, name="agency-detail"),
    path("strategy/<int:year>/", views.strategy_tree, name="strategy-tree"),
]
