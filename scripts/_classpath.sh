# Sourced by scripts/matrix and scripts/demo: builds what is missing, then sets CP (absolute paths).
# Usage: . scripts/_classpath.sh
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn_quiet() {
  # offline first (fast, no network); online when the local repository lacks something
  mvn -q -o "$@" >/dev/null 2>"$ROOT/target/.build.log" || mvn -q "$@"
}
mkdir -p "$ROOT/target"
needs_build=0
for f in target/classes/org/threadkill/ThreadKill.class \
         target/test-classes/org/threadkill/consequences/Matrix.class \
         target/test-classes/natives/linux_64/libthreadkill_victims.so; do
  [ -e "$f" ] || needs_build=1
done
if [ $needs_build = 0 ] && [ -n "$(find src pom.xml CMakeLists.txt -newer target/test-classes/org/threadkill/consequences/Matrix.class -type f -print -quit)" ]; then
  needs_build=1
fi
if [ $needs_build = 1 ]; then
  echo "building (mvn test-compile)..." >&2
  mvn_quiet test-compile -DskipTests || { echo "build failed" >&2; exit 2; }
fi
if [ ! -s target/classpath.txt ] || [ pom.xml -nt target/classpath.txt ]; then
  mvn_quiet dependency:build-classpath -Dmdep.outputFile="$ROOT/target/classpath.txt" || { echo "cannot resolve the class path" >&2; exit 2; }
fi
CP="$ROOT/target/classes:$ROOT/target/test-classes:$(cat target/classpath.txt)"
