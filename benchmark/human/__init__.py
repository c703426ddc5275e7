"""Human-judgment studies: sampling and assignment (`sampling`), the SQLite store
(`store`), the annotation web app (`app`, imported only by ``bench human serve``) and the
export of rating lines (`export`). Runs reach this package as plain values (see
`benchmark.report.meta_runs`), so it reads no run folder itself."""
