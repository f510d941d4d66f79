# Two stages: build the shaded jar with Maven, run it on a JRE. The in-memory store is the default;
# set STORE_TYPE=mongo and MONGO_URI for MongoDB (see .env.example).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q package -DskipTests -pl server -am

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/server/target/jq-sse.jar /app/jq-sse.jar
ENV PORT=8080 HOST=0.0.0.0 STORE_TYPE=memory
EXPOSE 8080
USER 65534
# A small young generation keeps idle connections near 4 KiB of RSS each (docs/performance.md).
ENTRYPOINT ["java", "-Xms64m", "-XX:MaxRAMPercentage=75", "-Xmn16m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/jq-sse.jar"]
