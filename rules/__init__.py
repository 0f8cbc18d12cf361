"""The project's rules, each in one place, with no database: how an agency name is matched to the registry
(matching), whether a purchase line is face recognition (classify), what a piece of evidence says happened and the
status ladder (claims), how a date is read (dates), what personal data is redacted (redact), how a file's text is
decoded (textfile), how a CSV cell is kept from being a formula (csvsafe), and when a records request is due
(deadlines). The ingest pipeline, the command line and the dashboard all use these."""
