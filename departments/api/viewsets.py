from django.http import QueryDict
from rest_framework import mixins, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.settings import api_settings

from .exceptions import UnknownQueryParameters

FORMAT = api_settings.URL_FORMAT_OVERRIDE or "format"


class QueryParams(QueryDict):
    """A request's query parameters that remember which names were looked up.

    What an endpoint looks up is what it accepts: its FilterSet's filters, the search and
    ordering backends where it has them, the paginator's `page` and `page_size`, the fields
    of a query serializer (`?at=`, `?period_start=`)."""

    def __init__(self, query_string=None, mutable=False, encoding=None):
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.looked_up = set()

    @classmethod
    def of(cls, query: QueryDict) -> "QueryParams":
        params = cls(mutable=True, encoding=query.encoding)
        for key, values in query.lists():
            params.setlist(key, values)
        params._mutable = False
        return params

    def __getitem__(self, key):  # also behind get()
        self.looked_up.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.looked_up.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.looked_up.add(key)
        return super().getlist(key, default)


class GenericViewSet(viewsets.GenericViewSet):
    """The base of every API viewset.

    Ids are integers: anything else in the path is a 404, never a lookup error.

    A GET (or HEAD) with a query parameter the endpoint does not take is a 400 naming it
    and the ones it takes, instead of an answer that silently ignores it (`?active=` where
    the filter is `is_active` used to list everyone). The accepted parameters are the ones
    the endpoint looked up while answering, plus `format`; the schema documents exactly
    these (tested for every operation)."""

    lookup_value_regex = "[0-9]+"

    def get_object(self):
        """The object the path names, in the viewer's scope. A list's filters do not apply
        to it (DRF's default does: `people/5/?department=2` was a 404 or a 400), so a
        detail takes no query parameter but `format`, as its schema says."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, obj)
        return obj

    def initialize_request(self, request, *args, **kwargs):
        request.GET = QueryParams.of(request.GET)
        return super().initialize_request(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        if request.method in ("GET", "HEAD") and 200 <= response.status_code < 300:
            params = request.query_params
            accepted = getattr(params, "looked_up", set(params)) | {FORMAT}
            unknown = [name for name in params if name and name not in accepted]
            if unknown:
                response = self.handle_exception(UnknownQueryParameters(unknown, accepted))
        return super().finalize_response(request, response, *args, **kwargs)


class ServiceWritesMixin(mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Create and update through the app's services, as the acting user: a create calls
    `create_service(actor=..., **data)`, an update `update_service(actor=..., <instance_name>=
    the object, **data)`; the answer shows what the service returned. The services are set
    as `staticmethod`s."""

    create_service = update_service = None
    instance_name = ""

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = self.create_service(actor=self.request.user, **data)

    def perform_update(self, serializer):
        target = {self.instance_name: serializer.instance}
        data = serializer.validated_data
        serializer.instance = self.update_service(actor=self.request.user, **target, **data)
