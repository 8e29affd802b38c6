"""Generating story text: "Continue writing" and "Write this beat".

The request is built by ``app.generation``'s story prompt builder from the chapter's
text (up to where the new text goes), the scene beat (if any), the story's title and
every enabled lorebook entry the story sees (global, its series, its own), with the
active preset's settings and the default provider (``Settings`` names it; else the first
enabled one). ``prompt`` builds it without sending (what the prompt inspector shows for
a beat); ``start`` sends it and returns the running ``Generation``, whose text the
chapter editor puts into the chapter as it streams.

Nothing here is imported at boot: the chapter editor imports it when a generation
button is first used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.domain import Domain

if TYPE_CHECKING:
    from app.generation import BuiltPrompt, Endpoint, Generation
    from app.lore import LayerCache

__all__ = ["NoProviderError", "StoryPrompt", "StoryWriter"]


class NoProviderError(LookupError):
    """No LLM provider is configured (the screen offers the Providers page instead)."""

    def __init__(self) -> None:
        super().__init__("No LLM provider is set up yet: add one under Settings → Providers.")


@dataclass(frozen=True)
class StoryPrompt:
    """A built request and where it came from."""

    endpoint: Endpoint
    built: BuiltPrompt
    beat: str | None


class StoryWriter:
    """Builds and sends story prompts for one library (see the module docstring)."""

    def __init__(self, domain: Domain, lore_cache: LayerCache | None = None) -> None:
        self.domain = domain
        self.lore_cache = lore_cache

    async def endpoint(self) -> Endpoint | None:
        """The default provider's endpoint (None when no provider is configured)."""
        from app.generation import Endpoint

        providers = self.domain.providers
        configs = [c for c in await providers.configs.list() if c.enabled]
        if not configs:
            return None
        chosen_id = await self.domain.settings.get("default_provider_config_id")
        config = next((c for c in configs if c.id == chosen_id), None)
        if config is None:
            config = sorted(configs, key=lambda c: (c.created_at, c.id))[0]
        key = await providers.api_keys.get(config.api_key_id) if config.api_key_id else None
        return Endpoint.from_config(config, key)

    async def prompt(
        self, story_id: str, text: str, *, beat: str | None = None, seed: Any = None
    ) -> StoryPrompt:
        """The request for continuing ``text`` (or writing ``beat`` after it)."""
        from app.generation import (
            StoryPromptInputs,
            build_story_prompt,
            get_provider,
            token_counter,
        )
        from app.lore import MatchOptions

        endpoint = await self.endpoint()
        if endpoint is None:
            raise NoProviderError()
        story = await self.domain.stories.stories.require(story_id)
        seen = await self.domain.lorebook.seen_by("story", story_id)
        entries = [e for group in seen.values() for e in group if e.enabled]
        preset = await self.domain.presets.active()
        provider = get_provider(endpoint.provider)
        counter = await token_counter(endpoint.model)
        inputs = StoryPromptInputs(
            text=text,
            beat=beat,
            title=story.title,
            preset=preset,
            lore_entries=entries,
            lore_cache=self.lore_cache,
            mode=provider.mode,
            prefill=provider.prefill,
            seed=seed,
            matching=MatchOptions.from_settings(await self.domain.settings.all()),
        )
        return StoryPrompt(endpoint, build_story_prompt(inputs, counter), beat)

    def start(self, prompt: StoryPrompt, *, transport: Any = None) -> Generation:
        """Send the request; the generation streams in the background."""
        from app.generation import start_generation

        return start_generation(prompt.endpoint, prompt.built.request(), transport=transport)
