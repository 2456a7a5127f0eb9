//! Entry point of the wasm binary: hands over to the library's `start`.

fn main() {
    bazaar_web::start();
}
