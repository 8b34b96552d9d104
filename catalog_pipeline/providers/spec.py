"""What the pipeline knows about a provider, as data: the registry is a list of these."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AuthStyle(StrEnum):
    NONE = "none"
    BEARER = "bearer"
    HEADER = "header"


class ProviderSpec(BaseModel):
    """One provider: where its model list lives, how to authenticate, what unit it prices in.

    ``api_key_env`` lists accepted variable names in order of preference; the first is the
    one derived from the slug (``<SLUG>_API_KEY``), later ones are names the provider's own
    docs use. ``price_unit`` is documentation of the wire unit; the conversion itself lives
    in the family parser, named for that unit.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    family: str
    base_url: str
    list_path: str
    auth: AuthStyle = AuthStyle.BEARER
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"
    """Prefix of the header value for ``AuthStyle.BEARER`` (Clarifai and fal use ``Key``)."""
    api_key_env: tuple[str, ...] = ()
    key_required: bool = True
    extra_headers: dict[str, str] = Field(default_factory=dict)
    price_unit: str
    price_source: str = "provider_api"
    docs_url: str
    enabled: bool = True

    @field_validator("base_url")
    @classmethod
    def _https_without_slash(cls, value: str) -> str:
        if not value.startswith("https://") or value.endswith("/"):
            raise ValueError("base_url must be https:// without a trailing slash")
        return value

    @property
    def list_url(self) -> str:
        return self.base_url + self.list_path

    @property
    def default_key_env(self) -> str:
        return self.slug.upper().replace("-", "_") + "_API_KEY"

    @property
    def key_env_names(self) -> tuple[str, ...]:
        names = (self.default_key_env, *self.api_key_env)
        return tuple(dict.fromkeys(names))
