"""The organisation's list tool, both ways: its members and votes in (ActionKit over the
MySQL protocol, Action Network and EveryAction/VAN CSV exports) as the contract's
members.csv and votes.csv, and the member lists of the endorsed contests back out."""


class SourceError(RuntimeError):
    """The list tool could not be reached or read: one sentence, no credential in it."""
