"""Destinations: files, PostgreSQL, a Klaviyo-like ESP, Meta Custom Audiences, a signed webhook."""

from cdp_orchestration.activation.destinations.files import FileDestination
from cdp_orchestration.activation.destinations.klaviyo import KlaviyoListDestination
from cdp_orchestration.activation.destinations.meta import MetaCustomAudienceDestination
from cdp_orchestration.activation.destinations.postgres import PostgresDestination
from cdp_orchestration.activation.destinations.webhook import WebhookDestination

__all__ = [
    "FileDestination",
    "KlaviyoListDestination",
    "MetaCustomAudienceDestination",
    "PostgresDestination",
    "WebhookDestination",
]
