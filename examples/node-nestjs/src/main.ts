import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // Closes the app on SIGTERM, so no init process is needed.
  app.enableShutdownHooks();
  await app.listen(process.env.PORT ?? 3005);
}

void bootstrap();
