#include "cli.hpp"

int main(int argc, char** argv) { return rapport::cli::Main(argc, argv); }
