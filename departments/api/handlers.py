"""Django's error views (config/urls.py's handler400/403/404/500): JSON under /api/, where
every answer is JSON, and Django's pages (templates/404.html...) everywhere else.

DRF answers the errors its views raise; these answer the rest: a path no route matches
(an id that is not a number included), a request Django refuses before any view (a bad
Host header), and an unexpected exception (500)."""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def bad_request(request, exception):
    if is_api_path(request.path_info):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_path(request.path_info):
        message = "You do not have permission to perform this action."
        return JsonResponse({"detail": message}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_path(request.path_info):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_path(request.path_info):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)


READ_METHODS = ("GET", "HEAD", "OPTIONS")


def read_only(view):
    """For the API's own documents (the schema, its docs page): anything but a read is a
    JSON 405, as everywhere under /api/ (their views would answer in YAML or HTML)."""

    def wrapped(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            message = f'Method "{request.method}" not allowed.'
            response = JsonResponse({"detail": message}, status=405)
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        return view(request, *args, **kwargs)

    return wrapped
