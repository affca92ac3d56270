import AgoraKit
import ArgumentParser
import Foundation

struct BenchStore: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "Time the queries the reader makes, at scale.")

    func run() throws {}
}
