fn main() {
    carafe_build::compile("../../migrations");
}
