from benchmarks.ingest import main

main()
