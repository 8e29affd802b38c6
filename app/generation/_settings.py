"""What a prompt preset stores for generation: sampling settings and prompt layout.

Both live in `PromptPreset.parameters` (under "sampling" and "prompt"), so a preset keeps
them, syncs them and exports them without new tables:

    settings = PresetSettings.of(preset)            # defaults for anything unset
    parameters = settings.to_parameters(preset.parameters)   # for presets.update(...)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["PresetSettings", "PromptSettings", "SamplingSettings"]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)


class SamplingSettings(_Settings):
    """Sampling settings sent with each request (None: the server's default)."""

    temperature: float | None = Field(default=0.8, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    top_k: int | None = Field(default=None, ge=0)
    min_p: float | None = Field(default=None, ge=0, le=1)
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    repetition_penalty: float | None = Field(default=None, gt=0, le=3)
    #: Reply length limit in tokens; also reserved out of the context for the reply.
    max_tokens: int = Field(default=512, ge=1, le=1_000_000)
    stop: list[str] = Field(default_factory=list)
    seed: int | None = None

    @field_validator("stop")
    @classmethod
    def _no_empty_stops(cls, value: list[str]) -> list[str]:
        return [s for s in dict.fromkeys(value) if s]


class PromptSettings(_Settings):
    """How the prompt is assembled."""

    #: The model's context window in tokens; the prompt gets this minus `max_tokens`.
    context_size: int = Field(default=8192, ge=256, le=10_000_000)
    #: Lore: how many of the latest messages are scanned, and its share of the context.
    lore_scan_depth: int = Field(default=2, ge=0, le=1000)
    lore_token_budget: int | None = Field(default=None, ge=0)
    lore_budget_percent: int = Field(default=25, ge=0, le=100)
    lore_recursive: bool = True
    lore_max_recursion: int = Field(default=3, ge=0, le=20)
    #: Example dialogue: keep it always, or let a growing chat push it out.
    examples: Literal["keep", "push_out"] = "push_out"
    #: Join neighbouring system parts into one system message (some local chat
    #: templates reject several system messages).
    merge_system: bool = True
    #: Text-completion mode: the instruct template that turns messages into text.
    instruct_template: str = "chatml"
    #: Prefer the character's own system prompt / post-history instructions over the
    #: preset's ({{original}} inside them inserts the preset's).
    prefer_character_prompts: bool = True
    post_history_instructions: str = ""
    #: Story mode ("continue writing" / "write this beat").
    continue_instruction: str = "Continue the story from where it stops. Write only the next part."
    beat_instruction: str = "Write the next part of the story following this scene beat:\n{{beat}}"

    def lore_budget(self, available: int) -> int:
        """The lore budget: the explicit figure, or a share of the prompt's tokens."""
        if self.lore_token_budget is not None:
            return self.lore_token_budget
        return max(0, available * self.lore_budget_percent // 100)


class PresetSettings(_Settings):
    """Sampling plus prompt settings of one preset."""

    sampling: SamplingSettings = Field(default_factory=SamplingSettings)
    prompt: PromptSettings = Field(default_factory=PromptSettings)

    @classmethod
    def of(cls, preset: Any | None) -> PresetSettings:
        """The settings stored in a `PromptPreset` (or a parameters dict); defaults when
        absent. Invalid stored values raise pydantic's `ValidationError`."""
        if preset is None:
            return cls()
        parameters = preset if isinstance(preset, Mapping) else getattr(preset, "parameters", {})
        return cls.model_validate(
            {k: parameters[k] for k in ("sampling", "prompt") if isinstance(parameters.get(k), dict)}
        )

    def to_parameters(self, existing: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """`existing` parameters with "sampling" and "prompt" replaced (other keys kept)."""
        out = dict(existing or {})
        out["sampling"] = self.sampling.model_dump(mode="json")
        out["prompt"] = self.prompt.model_dump(mode="json")
        return out
