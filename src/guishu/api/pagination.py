"""Page-number pagination with a client-chosen page size, capped."""

import re
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.request import Request

from guishu.api.errors import bad_parameter

WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        # Like the lists' other parameters, a page or page size that is not a number is
        # refused, rather than quietly read as the first page or the default size.
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is not None and not WHOLE_NUMBER.fullmatch(value):
                raise bad_parameter(name, _("Give a whole number."))
        return super().paginate_queryset(queryset, request, view)
