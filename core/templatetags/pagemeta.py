from django import template
from django.template.context import Context
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def reuse_block(context: Context, name: str) -> SafeString:
    """``{% reuse_block "title" %}``: the page's own ``title`` block rendered a
    second time (Django allows each block once), so the OpenGraph tags repeat
    what the page already says instead of every page writing it twice."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    node = block_context.get_block(name) if block_context else None
    if node is None:
        return SafeString("")
    with context.push():
        return SafeString(node.nodelist.render(context).strip())
