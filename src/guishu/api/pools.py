"""Pools (公海): the ones you may claim from; administrators configure routing and eligibility."""

from django.db.models import QuerySet
from rest_framework import generics, permissions, serializers

from guishu.accounts.models import Team
from guishu.api.common import StrictModelSerializer, viewer
from guishu.api.people import ReadOrAdmin
from guishu.domain import Level
from guishu.pools.models import Pool
from guishu.pools.routing import eligible_pool_ids


class PoolSerializer(StrictModelSerializer):
    levels = serializers.ListField(
        child=serializers.ChoiceField([level.value for level in Level]), required=False
    )
    countries = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2), required=False
    )
    regions = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    industries = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    from_teams = serializers.PrimaryKeyRelatedField[Team](
        many=True, queryset=Team.objects.all(), required=False
    )
    eligible_teams = serializers.PrimaryKeyRelatedField[Team](
        many=True, queryset=Team.objects.all(), required=False
    )
    customers = serializers.SerializerMethodField()

    class Meta:
        model = Pool
        fields = [
            "id",
            "name",
            "priority",
            "is_default",
            "active",
            "levels",
            "countries",
            "regions",
            "industries",
            "from_teams",
            "eligible_teams",
            "customers",
        ]
        read_only_fields = ["id", "customers"]

    def get_customers(self, pool: Pool) -> int:
        """How many customers wait in it now."""
        # Placements outlive claims: count only customers nobody owns now.
        return pool.placements.exclude(customer__ownerships__ended_at__isnull=True).count()


class _Pools:
    def get_queryset(self) -> QuerySet[Pool]:
        pools = Pool.objects.prefetch_related("from_teams", "eligible_teams").order_by(
            "priority", "pk"
        )
        eligible = eligible_pool_ids(viewer(self.request))  # type: ignore[attr-defined]
        if self.request.method in permissions.SAFE_METHODS and eligible is not None:  # type: ignore[attr-defined]
            pools = pools.filter(pk__in=eligible)
        return pools


class PoolList(_Pools, generics.ListCreateAPIView[Pool]):
    """The pools you may claim from (administrators: all); administrators create pools. A
    customer returning to the pool goes to the first active pool, by priority, whose criteria
    it meets; the default pool takes the rest. Empty eligible teams: open to everyone."""

    serializer_class = PoolSerializer
    permission_classes = [permissions.IsAuthenticated, ReadOrAdmin]


class PoolDetail(_Pools, generics.RetrieveUpdateAPIView[Pool]):
    serializer_class = PoolSerializer
    permission_classes = [permissions.IsAuthenticated, ReadOrAdmin]
    lookup_url_kwarg = "pool_id"
    http_method_names = ["get", "patch", "head", "options"]
