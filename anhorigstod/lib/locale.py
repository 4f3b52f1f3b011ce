"""Swedish unless the person chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a consultant
with an English browser would get English pages; the portal is Swedish first (PRODUCT
§10), and the switch's cookie is the only way to another language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
