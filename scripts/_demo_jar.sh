# Sourced by scripts/matrix and scripts/demo: builds the runnable demo jar when it is missing or older
# than any source (installs the library and its test kit first, tests skipped), then sets ROOT and JAR.
# Usage: . scripts/_demo_jar.sh
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/demo/target/threadkill-demo.jar"
mkdir -p "$ROOT/target"
mvn_quiet() {
  # offline first (fast, no network); online when the local repository lacks something
  mvn -q -o "$@" >"$ROOT/target/.build.log" 2>&1 || mvn -q "$@"
}
if [ ! -e "$JAR" ] || [ -n "$(find src pom.xml CMakeLists.txt demo/src demo/pom.xml -newer "$JAR" -type f -print -quit)" ]; then
  echo "building (mvn install -DskipTests, then the demo jar)..." >&2
  mvn_quiet install -DskipTests || { echo "library build failed" >&2; exit 2; }
  mvn_quiet -f demo/pom.xml package -DskipTests || { echo "demo build failed" >&2; exit 2; }
fi
