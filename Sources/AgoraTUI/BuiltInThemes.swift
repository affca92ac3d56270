/// The bundled themes (Themes/), built into the program: a copied binary has every one. A file
/// of the same name in a themes folder replaces one of these.
public enum BuiltInThemes {
    public static let sources: [ThemeSource] = [
        ("default", PackageResources.default_toml), ("gruvbox-dark", PackageResources.gruvbox_dark_toml),
        ("high-contrast", PackageResources.high_contrast_toml), ("light", PackageResources.light_toml),
        ("monochrome", PackageResources.monochrome_toml), ("solarized-dark", PackageResources.solarized_dark_toml),
        ("solarized-light", PackageResources.solarized_light_toml),
    ].map { ThemeSource(name: $0.0, path: "(built in)", text: String(decoding: $0.1, as: UTF8.self), isUser: false) }
}
