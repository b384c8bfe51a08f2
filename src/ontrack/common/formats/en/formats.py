"""English-language pages show dates as ISO 8601 (ADR 0043): the same day reads the same on
every page, in CSV exports and in the audit trail, and ``3/7/1991`` cannot be read as
July 3rd. Django's own English default ("March 7, 1991") would otherwise apply wherever a
template prints a date without a format."""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
