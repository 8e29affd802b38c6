"""One module per LLM provider; each registers itself with `@register_provider`.

The registry (`app.generation.get_provider`) imports every module here on first use.
"""
