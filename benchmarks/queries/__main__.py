from benchmarks.queries import main

main()
