from typing import Any

from django import template
from django.utils.safestring import SafeString

from core.jsonld import jsonld_script

register = template.Library()


@register.simple_tag
def jsonld(data: Any) -> SafeString:
    """``{% jsonld data %}``: every JSON-LD block of the site goes through here."""
    return jsonld_script(data)
