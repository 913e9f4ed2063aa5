"""The size limit of API request bodies, checked before anything reads them.

DRF's parsers read the request stream directly, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE
check (which guards only `request.body` and form parsing, and answers an HTML 400). Under
/api/ a body longer than that setting is a JSON 413 before any view or parser runs.
"""

from django.conf import settings
from django.http import JsonResponse

from .handlers import is_api_path


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and is_api_path(request.path_info):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0  # Django reads no body then either
            if length > limit:
                return JsonResponse(
                    {
                        "detail": f"Request body too large: {length} bytes; "
                        f"the limit is {limit} bytes."
                    },
                    status=413,
                )
        return self.get_response(request)
