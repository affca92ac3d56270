/// The version every part of Agora reports: `agora --version`, the User-Agent of a sync.
public enum AgoraKitVersion {
    public static let string = "0.1.0"
}
