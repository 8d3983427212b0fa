import { Body, Controller, Post, Res, UploadedFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import type { Principal } from '../auth/principal';
import { ImageUpload } from '../media/image-upload.interceptor';
import { AttendanceImageUrls } from './attendance-image-urls';
import { AttendanceRecognitionsService } from './attendance-recognitions.service';
import { clientWire, UrlOf, visitResource } from './attendance.wire';
import { RecognitionDto, RecognitionResultDto } from './dto/recognition.dto';
import { HeldDto } from './dto/review.dto';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiTags('attendance')
@Controller('api/attendance/recognitions')
export class AttendanceRecognitionsController {
  private readonly url: UrlOf;

  constructor(
    private readonly recognitions: AttendanceRecognitionsService,
    urls: AttendanceImageUrls,
  ) {
    this.url = urls.url;
  }

  @Post()
  @Authenticated({ roles: ['admin', 'device:camera'] })
  @Idempotent()
  @ImageUpload('image')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: RecognitionDto })
  @ApiCreatedResponse({ type: RecognitionResultDto, description: 'Counted' })
  @ApiAcceptedResponse({ type: HeldDto, description: 'Held for review (low score, or an unknown face with ATTENDANCE_REVIEW_UNKNOWN_FACES): not counted yet' })
  @ApiOkResponse({ type: RecognitionResultDto, description: 'A retry of an event id already counted: the original result' })
  async recognize(
    @CurrentPrincipal() p: Principal,
    @Body() dto: RecognitionDto,
    @Res({ passthrough: true }) res: Response,
    @UploadedFile() image?: Express.Multer.File,
  ): Promise<RecognitionResultDto> {
    const r = await this.recognitions.ingest(p, dto, image);
    if ('held' in r) {
      res.status(202);
      return r.held as never;
    }
    res.status(r.duplicate ? 200 : 201);
    return { ...r, client: r.client && clientWire(r.client, this.url), visit: r.visit && visitResource(r.visit, this.url) };
  }
}
