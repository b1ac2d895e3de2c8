"""The API's addresses (under api/v1/): reads, token writes, the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from indicators.api import views, writes

app_name = "api"

router = DefaultRouter()
router.register("years", views.YearViewSet, basename="year")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("strategy-nodes", views.StrategyNodeViewSet, basename="strategy-node")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("results", views.ResultViewSet, basename="result")

result = "results/<int:year>/<str:code>/q<int:quarter>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path(result, writes.ResultWriteView.as_view(), name="result-write"),
    path(f"{result}submit/", writes.ResultSubmitView.as_view(), name="result-submit"),
    path("", include(router.urls)),
]
