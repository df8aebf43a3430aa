"""vaultkit: a plain-text personal CRM for a vault of Markdown notes."""

__version__ = "0.1.0"
