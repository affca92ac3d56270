import AgoraKit
import TerminalCore
