"""rec-tui: triage call recordings on Twilio's and SignalWire's Recordings API from a terminal."""

__version__ = "0.1.0"
