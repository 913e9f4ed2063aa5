from rest_framework import viewsets


class GenericViewSet(viewsets.GenericViewSet):
    """Ids are integers: anything else in the path is a 404, never a lookup error."""

    lookup_value_regex = "[0-9]+"
