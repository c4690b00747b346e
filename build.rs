// The default theme and the starter site are compiled into the binary with include_dir, which
// cannot tell cargo about files added to those folders; naming the folders here makes cargo
// rebuild when anything inside them changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/starter");
}
