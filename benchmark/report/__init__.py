"""Reading runs back: statistics, selection and compatibility, tables in every format."""
