// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Agora",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "agora", targets: ["agora"]),
        .library(name: "AgoraKit", targets: ["AgoraKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // libxml2's HTML parser, for turning post bodies into text.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The shared model library: model, caches, text. No terminal code.
        .target(
            name: "AgoraKit",
            dependencies: [
                "CLibXML2",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            resources: [.embedInCode("Sample/diplo.json")]
        ),
        // ncursesw, with a shim for what does not import (see DESIGN.md: not pkg-config).
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        .target(name: "NcursesBackend", dependencies: ["CNcurses", "TerminalCore"]),
        // zlib: zip archives and gzip-compressed feeds.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // libcurl: feeds over HTTP(S), read as they arrive and stopped at their caps.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Bringing communities in: Ning archives, feeds, OPML, sync over HTTP. Writes through AgoraKit.
        .target(name: "AgoraImport", dependencies: ["AgoraKit", "CLibXML2", "CZlib", "CCurl"]),
        // Cells, widths, wrapping: knows nothing about posts.
        .target(name: "TerminalCore"),
        // The reader as values: input, state, update, views into a buffer. No I/O, no store calls.
        // The bundled themes are built in (Themes/, linked into the target), so a copied binary
        // has them; files in the themes folders still override them by name.
        .target(
            name: "AgoraTUI", dependencies: ["AgoraKit", "TerminalCore"], exclude: ["Themes/README.md"],
            resources: ["default", "gruvbox-dark", "high-contrast", "light", "monochrome", "solarized-dark", "solarized-light"]
                .map { .embedInCode("Themes/\($0).toml") }
        ),
        // The reader running: its loop over a terminal backend, effects done against a store.
        .target(name: "AgoraApp", dependencies: ["AgoraTUI", "AgoraKit", "TerminalCore"]),
        .executableTarget(
            name: "agora",
            dependencies: [
                "AgoraKit", "AgoraImport", "TerminalCore", "AgoraTUI", "AgoraApp", "NcursesBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzz targets for every reader of outside input (scripts/fuzz.sh builds it with libFuzzer).
        .executableTarget(name: "agora-fuzz", dependencies: ["AgoraKit", "AgoraImport", "AgoraTUI"]),
        // What several test targets share: temporary folders, zip and gzip writers, a local HTTP server.
        .target(name: "AgoraTestSupport", dependencies: ["CZlib", "AgoraKit"], path: "Tests/AgoraTestSupport"),
        // The test forum as a program: the sync benchmark runs it (scripts/bench-sync.sh).
        .executableTarget(name: "agora-test-forum", dependencies: ["AgoraTestSupport"], path: "Tests/agora-test-forum"),
        .testTarget(
            name: "AgoraKitTests",
            dependencies: ["AgoraKit", "AgoraTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "AgoraImportTests", dependencies: ["AgoraImport", "AgoraKit", "AgoraTestSupport"]),
        .testTarget(name: "TerminalCoreTests", dependencies: ["TerminalCore"]),
        .testTarget(name: "AgoraTUITests", dependencies: ["AgoraTUI", "AgoraKit", "TerminalCore", "AgoraTestSupport"]),
        .testTarget(
            name: "AgoraAppTests", dependencies: ["AgoraApp", "AgoraTUI", "AgoraKit", "TerminalCore", "AgoraTestSupport"],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "AgoraCLITests",
            dependencies: ["agora", "AgoraKit", "AgoraImport", "AgoraTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
