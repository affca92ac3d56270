import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the cache on a generated community (see docs/benchmarks.md).",
        subcommands: [BenchStore.self, BenchReader.self])
}
