import CatalyzeCLI

/// The executable: everything lives in CatalyzeCLI.
@main
enum Catalyze {
    static func main() async {
        await CatalyzeCommand.runMain()
    }
}
